// The given profiles' most recent conversations: when they last posted in each, how often, and the text that opened it
:param ids => ["tw:ada"]
:param limit => 10
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})-[:POSTED]->(post:Post)-[:IN_CONVERSATION]->(c:Conversation)
WITH c, max(post.created_at) AS last_at, count(post) AS posts
ORDER BY last_at DESC, c.id ASC
LIMIT $limit
OPTIONAL MATCH (root:Post {id: c.root_post_id})
RETURN c.id AS id, c.root_post_id AS root_post_id, c.started_at AS started_at, last_at, posts,
       root.text AS root_text,
       size([(x:Post)-[:IN_CONVERSATION]->(c) | 1]) AS size
ORDER BY last_at DESC, id ASC
