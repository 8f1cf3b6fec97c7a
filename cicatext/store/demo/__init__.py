"""The sample repository: the CICA package of June 2023, with its Modalities records and a document in two languages."""
