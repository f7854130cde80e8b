from bench import draft_autosave, draft_expiry, enumeration, event_cost, image_burst, lighthouse, pdf_check, uploads

uploads.main()
image_burst.main()
pdf_check.main([])
draft_autosave.main([])
enumeration.main([])
draft_expiry.main([])
event_cost.main([])
lighthouse.main([])
