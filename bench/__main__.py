from bench import draft_autosave, enumeration, uploads

uploads.main()
draft_autosave.main([])
enumeration.main([])
