# Borderline in a container: the same static binary `make build` makes.
# Build:  docker build -t borderline .
# Run:    docker run -p 8080:8080 -v borderline-data:/data borderline

# Leaflet comes from npm, pinned by package-lock.json, and is embedded at build time.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=assets /src/node_modules ./node_modules
RUN go run ./cmd/precompress -out precompressed static node_modules/leaflet/dist \
 && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/borderline . \
 && mkdir -p /out/data

# No shell, no package manager; runs as uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/borderline /usr/local/bin/borderline
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV BORDERLINE_ADDR=0.0.0.0:8080 \
    BORDERLINE_DB=/data/borderline.db
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/borderline"]
CMD ["serve"]
