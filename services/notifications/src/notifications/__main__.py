from notifications.bootstrap import main

main()
