"""Reads a Borderline server with OWSLib, as a GIS script would, and prints
what it saw as one JSON object (the e2e test checks it).

Usage: python3 owslib_read.py BASE_URL [CQL2_FILTER]
"""
import json
import sys

from owslib.ogcapi.features import Features


def main():
    base = sys.argv[1].rstrip("/") + "/"
    cql = sys.argv[2] if len(sys.argv) > 2 else None
    api = Features(base)
    seen = {
        # Features() reads the landing page; it failed on the map's HTML.
        "landing": api.response.get("title"),
        "landing_rels": sorted(link["rel"] for link in api.links),
        "openapi": api.api().get("openapi"),
        "conformance": api.conformance()["conformsTo"],
        "collections": {},
    }
    for col in api.collections()["collections"]:
        cid = col["id"]
        meta = api.collection(cid)
        queryables = api.collection_queryables(cid)
        items = api.collection_items(cid, limit=5)
        seen["collections"][cid] = {
            "title": meta["title"],
            "queryables": sorted(queryables.get("properties", {}).keys()),
            "numberMatched": items.get("numberMatched"),
            "returned": len(items["features"]),
        }
    box = api.collection_items("incidents", bbox=[127.9, 41.2, 128.4, 41.6], datetime="2021-03-01/2021-03-31", limit=50)
    seen["hyesan_march_2021"] = sorted(f["id"] for f in box["features"])
    if cql is not None:
        filtered = api.collection_items("incidents", filter=cql, limit=1000)
        seen["filter"] = {
            "numberMatched": filtered.get("numberMatched"),
            "ids": sorted(f["id"] for f in filtered["features"]),
        }
    json.dump(seen, sys.stdout)


if __name__ == "__main__":
    main()
