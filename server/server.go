// Package server answers HTTP: the map pages, the static front end, the
// OGC API – Features endpoints over the store, and the stories the classroom
// presentation steps through. Handlers only read; writes happen through the
// borderline import command.
package server

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/borderline/borderline/store"
)

// Assets are the files of the front end.
type Assets struct {
	Static fs.FS // static/: index.html, css/, js/
	Vendor fs.FS // node_modules/leaflet/dist
}

// Server holds what the handlers share.
type Server struct {
	store    *store.Store
	log      *slog.Logger
	echo     *echo.Echo
	assets   *assetSet
	citeTmpl *template.Template
	htmlTmpl map[string]*template.Template // the data pages, by name
	shapes   *shapeCache                   // simplified shapes (simplify=)
	embedCSP string
	// Data responses: their Cache-Control, and those kept for repeats.
	cacheControl []string
	reprs        *reprCache
	admit        *admission
	admitLarge   *admission // pages of more than 1,000 features
	flights      flights
	// selfEncoded are the routes that compress their own answers.
	selfEncoded map[string]bool
}

// Option changes how the server answers.
type Option func(*Server)

// WithFrameAncestors limits which sites may frame /embed (from
// ParseFrameAncestors); by default any site may.
func WithFrameAncestors(origins []string) Option {
	return func(s *Server) { s.embedCSP = embedPolicy(origins) }
}

// New builds the HTTP handler.
func New(st *store.Store, assets Assets, log *slog.Logger, opts ...Option) (*Server, error) {
	as, err := loadAssets(assets)
	if err != nil {
		return nil, err
	}
	citeTmpl, err := parseCiteTemplate()
	if err != nil {
		return nil, err
	}
	htmlTmpl, err := parseHTMLTemplates()
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{store: st, log: log, echo: e, assets: as, citeTmpl: citeTmpl, htmlTmpl: htmlTmpl, shapes: &shapeCache{maxBytes: shapeCacheBytes},
		embedCSP: embedPolicy(nil), cacheControl: []string{DefaultCachePolicy.header()}, reprs: newReprCache(defaultResponseCache),
		admit:       newAdmission(0, defaultWaiting),
		admitLarge:  newAdmission(largeRunning, largeWaiting),
		selfEncoded: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	e.HTTPErrorHandler = errorHandler(log, s.htmlError)

	e.Use(middleware.Recover())
	e.Use(s.requestLog())
	e.Use(securityHeaders)
	e.Use(middleware.BodyLimit("1M"))
	e.Use(middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: 15 * time.Second}))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{Level: 5, MinLength: 1024,
		Skipper: func(c echo.Context) bool { return s.selfEncoded[c.Path()] || compressedAlready(c) }}))

	// HEAD answers like GET without the body (net/http drops it), for link
	// checkers and load balancers.
	get := func(path string, h echo.HandlerFunc) {
		e.GET(path, h)
		e.HEAD(path, h)
	}
	// Data: the same answer for the same URL until the data changes.
	data := func(path string, h echo.HandlerFunc) {
		s.selfEncoded[path] = true
		get(path, s.cacheable(h))
	}
	get("/", s.landing)
	get("/embed", s.embed)
	get("/embed/", s.embed)
	get("/embed.js", s.embedHost)
	get("/present", s.present)
	get("/present/", s.present)
	get("/oembed", s.oembed)
	get("/healthz", s.healthz)
	data("/conformance", s.conformance)
	data("/api", s.openAPI)
	data("/collections", s.collections)
	data("/collections/:id", s.collection)
	data("/collections/:id/items", s.items)
	data("/collections/:id/items/:fid", s.item)
	data("/collections/:id/counts", s.counts)
	data("/collections/:id/queryables", s.queryables)
	data("/collections/:id/sortables", s.sortables)
	data("/cite", s.cite)
	data("/stories", s.stories)
	data("/stories/:id", s.story)
	get("/static/*", s.assets.handler("static"))
	get("/vendor/leaflet/*", s.assets.handler("vendor"))
	get("/favicon.ico", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/static/favicon.svg") })
	return s, nil
}

// ServeHTTP makes Server an http.Handler (tests use it with httptest).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && s.answerKept(w, r) {
		return
	}
	s.echo.ServeHTTP(w, r)
}

// Run serves on addr until ctx is cancelled, then drains open requests for up
// to ten seconds. ready, if not nil, receives the bound address.
func (s *Server) Run(ctx context.Context, addr string, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go s.reportRefusals(ctx, 10*time.Second)
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// reportRefusals logs, every period in which some requests were refused for
// want of capacity, how many: one line instead of one per refusal.
func (s *Server) reportRefusals(ctx context.Context, period time.Duration) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if n := s.admit.refused.Swap(0) + s.admitLarge.refused.Swap(0); n > 0 {
				s.log.Warn("busy: requests refused with 503", "refused", n, "period", period)
			}
		}
	}
}

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		setSecurityHeaders(c.Response().Header(), c.Request().URL.Path)
		return next(c)
	}
}

// The security headers' values, made once: assigned to a response's header
// map as they are (their keys are canonical), they cost no allocation. Each
// slice holds one value at full capacity, so a handler's Add copies it.
var (
	headerCSP         = []string{ContentSecurityPolicy}
	headerNoSniff     = []string{"nosniff"}
	headerNoReferrer  = []string{"no-referrer"}
	headerPermissions = []string{"geolocation=(), camera=(), microphone=()"}
	headerCORP        = []string{"cross-origin"}
	headerAnyOrigin   = []string{"*"}
)

func setSecurityHeaders(h http.Header, path string) {
	h["Content-Security-Policy"] = headerCSP
	h["X-Content-Type-Options"] = headerNoSniff
	h["Referrer-Policy"] = headerNoReferrer
	h["Permissions-Policy"] = headerPermissions
	h["Cross-Origin-Resource-Policy"] = headerCORP
	// The data is public: let other sites' scripts and QGIS-like tools read it.
	if isDataPath(path) {
		h["Access-Control-Allow-Origin"] = headerAnyOrigin
	}
}

// isDataPath says whether a path is one of the data answers (the OGC API
// and the stories), which other sites may read and caches may keep.
func isDataPath(p string) bool {
	return strings.HasPrefix(p, "/collections") || p == "/conformance" || p == "/api" || p == "/cite" ||
		p == "/stories" || strings.HasPrefix(p, "/stories/")
}

// requestLog logs failures at Info and above, everything else at Debug, so a
// load test does not turn into a logging benchmark.
func (s *Server) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelDebug
			switch {
			case v.Status == statusClientClosed, v.Status == http.StatusServiceUnavailable && v.Error == errBusy:
				// Thousands a second in a burst; the admission counts them
				// and logs a summary instead (reportRefusals).
				level = slog.LevelDebug
			case v.Status >= 500:
				level = slog.LevelError
			case v.Status >= 400:
				level = slog.LevelInfo
			}
			s.log.LogAttrs(c.Request().Context(), level, "request", slog.String("method", v.Method), slog.String("uri", v.URI),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency))
			return nil
		},
	})
}

func (s *Server) healthz(c echo.Context) error {
	if err := s.store.Ping(c.Request().Context()); err != nil {
		s.log.Error("health check failed", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "description": "the database does not answer"})
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
