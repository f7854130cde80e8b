from bench import draft_autosave, uploads

uploads.main()
draft_autosave.main([])
