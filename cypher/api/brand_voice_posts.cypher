// Every post about brand $brand with its time, its sentiment toward the brand (the ABOUT edge's, else the post's) and its author (null when unknown); no row when the brand does not exist
// Read once per data version by usecases/brand_voice.py, which leaves out the posts of the brand's own accounts and staff
:param brand => "acme"
MATCH (b:Brand {id: $brand})
WITH b
MATCH (b)<-[ab:ABOUT]-(post:Post)
OPTIONAL MATCH (post)<-[:POSTED]-(author:Profile)
RETURN post.id AS id, post.created_at AS created_at, coalesce(ab.sentiment, post.sentiment) AS sentiment,
       author.id AS author
