// Posts by id (evidence of advocacy and detraction); unknown ids give no row
:param ids => ["p1", "p2"]
UNWIND $ids AS post_id
MATCH (post:Post {id: post_id})
RETURN post.id AS id, post.text AS text, post.sentiment AS sentiment, post.created_at AS created_at
