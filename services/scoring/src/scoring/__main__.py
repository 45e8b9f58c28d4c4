from scoring.bootstrap import main

main()
