from bench import draft_autosave, enumeration, pdf_check, uploads

uploads.main()
pdf_check.main([])
draft_autosave.main([])
enumeration.main([])
