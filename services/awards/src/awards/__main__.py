from awards.bootstrap import main

main()
