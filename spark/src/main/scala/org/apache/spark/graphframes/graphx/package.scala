// GraphFrames 0.10.0 links GraphX under this package (its fork, io.graphframes:graphframes-graphx-spark3_2.12,
// which Maven Central does not serve). spark/pom.xml rebuilds it from Apache Spark's own GraphX jar with the
// package renamed (maven-shade-plugin relocation). A relocation rewrites class names in the bytecode but not
// the Scala signatures that Scala reflection reads, so GraphX's package object, which only holds type aliases,
// is compiled here under the new name instead (without it GraphFrames fails with "type VertexId in
// org.apache.spark.graphframes.graphx.package not found"). The aliases are GraphX 3.5's.
package org.apache.spark.graphframes

package object graphx {
  type VertexId = Long
  type PartitionID = Int
  private[graphx] type VertexSet = org.apache.spark.util.collection.OpenHashSet[VertexId]
}
