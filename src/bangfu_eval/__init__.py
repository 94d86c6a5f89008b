"""bangfu: check, score and report a trade union's hardship-assistance funds.

The pipeline (see ``pipeline.py``) reads one year's YAML files, checks them, computes every
figure and renders the scorecard and the evaluation report.
"""

__version__ = "0.1.0"
