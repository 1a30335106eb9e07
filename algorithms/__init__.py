"""Pure graph algorithms over an in-memory projection (no store, no API imports).

Every function takes a :class:`~algorithms.projection.DirectedGraph` (or plain records) and
returns frozen dataclasses; randomness is always seeded.
"""

from algorithms.advocacy import AdvocacyScore, BrandPost, PostEvidence, brand_advocacy, influence_percentiles
from algorithms.communities import CommunityResult, detect_communities, modularity, undirected_weights
from algorithms.influence import (
    BatchedInfluenceScores,
    BrokerageScores,
    InfluenceContribution,
    InfluenceScores,
    PageRankDidNotConverge,
    ReachCounts,
    brokerage,
    pagerank,
    personalized_pagerank,
    personalized_pagerank_batch,
    reach,
)
from algorithms.projection import (
    INTERACTION_KINDS,
    DirectedGraph,
    EngagementWeights,
    decayed_weights,
    engagement_graph,
)
from algorithms.trust import TrustEdge, TrustPath, trust_graph, trust_paths

__all__ = [
    "INTERACTION_KINDS",
    "AdvocacyScore",
    "BatchedInfluenceScores",
    "BrandPost",
    "BrokerageScores",
    "CommunityResult",
    "DirectedGraph",
    "EngagementWeights",
    "InfluenceContribution",
    "InfluenceScores",
    "PageRankDidNotConverge",
    "PostEvidence",
    "ReachCounts",
    "TrustEdge",
    "TrustPath",
    "brand_advocacy",
    "brokerage",
    "decayed_weights",
    "detect_communities",
    "engagement_graph",
    "influence_percentiles",
    "modularity",
    "pagerank",
    "personalized_pagerank",
    "personalized_pagerank_batch",
    "reach",
    "trust_graph",
    "trust_paths",
    "undirected_weights",
]
