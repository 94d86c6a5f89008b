from bangfu_eval.cli import main

main()
