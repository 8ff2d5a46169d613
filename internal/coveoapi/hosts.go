package coveoapi

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// DefaultEnvironment and DefaultRegion match the Coveo CLI's defaults.
const (
	DefaultEnvironment = "prod"
	DefaultRegion      = "us"
)

// Environments and Regions are the values PlatformURL accepts, in the order
// the Coveo CLI lists them.
var (
	Environments = []string{"prod", "hipaa", "stg", "dev"}
	Regions      = []string{"us", "eu", "au", "ca"}
)

// environmentHostPrefix is the part of the platform host name that names the
// environment: platform{prefix}[-{region}].cloud.coveo.com.
var environmentHostPrefix = map[string]string{
	"prod": "platform",
	"stg":  "platformstg",
	"dev":  "platformdev",
}

// hipaaURL is the single HIPAA host; that environment has no regional hosts.
const hipaaURL = "https://platformhipaa.cloud.coveo.com"

// PlatformURL returns the base URL of the Coveo platform for an environment
// and a region, following the hosts table of Coveo's documentation. An empty
// environment or region means the default. The HIPAA environment has one host,
// whatever the (valid) region.
func PlatformURL(environment, region string) (string, error) {
	if environment == "" {
		environment = DefaultEnvironment
	}
	if region == "" {
		region = DefaultRegion
	}
	if !slices.Contains(Environments, environment) {
		return "", fmt.Errorf("unknown Coveo environment %q: use one of %s", environment, strings.Join(Environments, ", "))
	}
	if !slices.Contains(Regions, region) {
		return "", fmt.Errorf("unknown Coveo region %q: use one of %s", region, strings.Join(Regions, ", "))
	}
	if environment == "hipaa" {
		return hipaaURL, nil
	}
	host := environmentHostPrefix[environment]
	if region != "us" {
		// us is the original region and carries no suffix.
		host += "-" + region
	}
	return "https://" + host + ".cloud.coveo.com", nil
}

// ValidateEndpoint checks a base URL given by the user and returns it
// normalized: scheme and host in lower case, no trailing slash. It requires
// https, except for loopback hosts where http is allowed for local test
// servers: the token must never cross a network in clear text. The value is
// not echoed in errors, since a mistyped endpoint may hold credentials.
func ValidateEndpoint(raw string) (string, error) {
	trimmed := strings.TrimSpace(raw)
	if trimmed == "" {
		return "", errors.New("the endpoint is empty: give a base URL such as https://platform.cloud.coveo.com")
	}
	u, err := url.Parse(trimmed)
	if err != nil {
		return "", errors.New("the endpoint is not a valid URL: give a base URL such as https://platform.cloud.coveo.com")
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "" || !strings.Contains(trimmed, "://"):
		return "", errors.New("the endpoint has no scheme: write it in full, such as https://platform.cloud.coveo.com")
	case scheme != "https" && scheme != "http":
		return "", fmt.Errorf("the endpoint's scheme %q is not supported: use https", scheme)
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return "", errors.New("the endpoint has no host: write it in full, such as https://platform.cloud.coveo.com")
	case u.User != nil:
		return "", errors.New("the endpoint must not hold a user name or password: remove the part before '@'; tokens are given separately")
	case u.RawQuery != "" || u.ForceQuery:
		return "", errors.New("the endpoint must not have a query string: remove the part from '?'")
	case u.Fragment != "" || strings.Contains(trimmed, "#"):
		return "", errors.New("the endpoint must not have a fragment: remove the part from '#'")
	}
	host := strings.ToLower(u.Host)
	if scheme == "http" && !isLoopback(u.Hostname()) {
		return "", fmt.Errorf("the endpoint uses http with host %q: use https, since tokens must not travel in clear text (http is accepted only for localhost and loopback addresses)", strings.ToLower(u.Hostname()))
	}
	return scheme + "://" + host + strings.TrimRight(u.EscapedPath(), "/"), nil
}

// isLoopback reports whether host (without port or brackets) is localhost or
// a loopback IP address (127.0.0.0/8, ::1).
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
