// Posts by id with their sentiment toward brand $brand (the ABOUT edge's, else the post's): the evidence of advocacy and detraction; unknown ids give no row
:param brand => "acme"
:param ids => ["p1", "p2"]
UNWIND $ids AS post_id
MATCH (post:Post {id: post_id})
OPTIONAL MATCH (post)-[ab:ABOUT]->(:Brand {id: $brand})
RETURN post.id AS id, post.text AS text, coalesce(ab.sentiment, post.sentiment) AS sentiment,
       post.created_at AS created_at
