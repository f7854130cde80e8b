from bench import draft_autosave, draft_expiry, enumeration, image_burst, pdf_check, uploads

uploads.main()
image_burst.main()
pdf_check.main([])
draft_autosave.main([])
enumeration.main([])
draft_expiry.main([])
