// A conversation thread: every post in it with author and parent, oldest first
:param conversation => "post-00004"
MATCH (c:Conversation {id: $conversation})<-[:IN_CONVERSATION]-(q:Post)
OPTIONAL MATCH (author:Profile)-[:POSTED]->(q)
OPTIONAL MATCH (q)-[:REPLY_TO]->(parent:Post)
RETURN q.id AS post, author.id AS author, parent.id AS reply_to, q.text AS text, q.sentiment AS sentiment,
       q.created_at AS created_at
ORDER BY created_at, post
