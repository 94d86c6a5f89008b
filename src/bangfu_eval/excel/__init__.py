"""The way in from Excel: ``bangfu import`` reads the workbooks units keep (.xlsx, .xls, .ods,
CSV) into a year's tables.

    workbook → sheets (workbook.py: calamine, or CSV with its encoding detected)
             → tables recognised by their headers (tables.py: the alias table)
             → cells repaired or refused, each problem at its cell (cells.py)
             → records validated by the year's models and linked (importer.py)
             → all files written, or none (importer.py)
"""
