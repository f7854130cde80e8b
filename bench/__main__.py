from bench import draft_autosave, image_burst, uploads

uploads.main()
image_burst.main()
draft_autosave.main([])
