from bench import uploads

uploads.main()
