# outside every project: must never be picked
