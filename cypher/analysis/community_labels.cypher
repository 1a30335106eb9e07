// Every community's label as the last run wrote it (labels are kept per community id across runs)
MATCH (c:Community)
RETURN c.community AS community, c.label AS label, c.lead_handles AS leads, c.terms AS terms
