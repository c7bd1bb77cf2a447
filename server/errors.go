package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiError is what a client is told when a request fails: an OGC-style code,
// a sentence a person can act on, and the parameter at fault if there is one.
type apiError struct {
	Status      int    `json:"-"`
	Code        string `json:"code"`
	Description string `json:"description"`
	Parameter   string `json:"parameter,omitempty"`
	// Position and Path locate a syntax error in a filter: the character
	// of cql2-text (from 1), or the member of cql2-json.
	Position int    `json:"position,omitempty"`
	Path     string `json:"path,omitempty"`
}

func (e *apiError) Error() string { return e.Description }

// statusClientClosed is nginx's status for a request whose client went away.
const statusClientClosed = 499

func badParam(param, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "InvalidParameterValue", Parameter: param,
		Description: fmt.Sprintf("%s: %s", param, fmt.Sprintf(format, args...))}
}

func notFound(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusNotFound, Code: "NotFound", Description: fmt.Sprintf(format, args...)}
}

// errorHandler answers every failure as JSON. Anything that is not an apiError
// or an echo routing error is our fault: it is logged in full and the client
// gets a 500 without internals.
func errorHandler(log *slog.Logger, asHTML func(echo.Context, *apiError) (bool, error)) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		var ae *apiError
		var he *echo.HTTPError
		switch {
		case errors.As(err, &ae):
		case errors.As(err, &he):
			ae = &apiError{Status: he.Code, Code: http.StatusText(he.Code), Description: fmt.Sprint(he.Message)}
			switch he.Code {
			case http.StatusNotFound:
				ae.Code, ae.Description = "NotFound", "there is nothing at "+c.Request().URL.Path
			case http.StatusMethodNotAllowed:
				ae.Code, ae.Description = "MethodNotAllowed", c.Request().Method+" is not allowed on "+c.Request().URL.Path
			case http.StatusRequestEntityTooLarge:
				ae.Code, ae.Description = "PayloadTooLarge", "the request body is too large"
			}
		case errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil:
			// The client hung up (a closed tab, a load test ending): nobody
			// will read the answer and nothing failed on our side. 499 is the
			// status proxies log for this.
			ae = &apiError{Status: statusClientClosed, Code: "ClientClosedRequest", Description: "the client closed the connection"}
		default:
			log.Error("request failed", "method", c.Request().Method, "uri", c.Request().RequestURI, "err", err)
			ae = &apiError{Status: http.StatusInternalServerError, Code: "InternalError", Description: "the server failed to answer this request; it has been logged"}
		}
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		var done bool
		if c.Request().Method == http.MethodHead {
			err = c.NoContent(ae.Status)
		} else if done, err = asHTML(c, ae); !done && err == nil {
			err = c.JSON(ae.Status, ae)
		}
		if err != nil {
			log.Error("write error response", "err", err)
		}
	}
}
