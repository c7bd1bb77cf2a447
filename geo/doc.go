// Package geo holds the geometry Borderline needs on top of orb types: a
// Lambert conformal conic projection for planar work in metres, geodesic
// lengths and areas on WGS 84, distances to the border and which side of it a
// place lies on, and the buffer zones along the border.
//
// Coordinates are WGS 84 longitude/latitude in degrees (orb.Point{lon, lat})
// unless a function says it works in projected metres. The package never reads
// files: the data package embeds the layers and passes geometries in, so these
// functions stay pure and testable.
package geo
