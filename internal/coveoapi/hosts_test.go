package coveoapi

import (
	"strings"
	"testing"
)

func TestPlatformURLCoversEveryCellOfTheHostsTable(t *testing.T) {
	want := map[string]map[string]string{
		"prod": {
			"us": "https://platform.cloud.coveo.com",
			"eu": "https://platform-eu.cloud.coveo.com",
			"au": "https://platform-au.cloud.coveo.com",
			"ca": "https://platform-ca.cloud.coveo.com",
		},
		"stg": {
			"us": "https://platformstg.cloud.coveo.com",
			"eu": "https://platformstg-eu.cloud.coveo.com",
			"au": "https://platformstg-au.cloud.coveo.com",
			"ca": "https://platformstg-ca.cloud.coveo.com",
		},
		"dev": {
			"us": "https://platformdev.cloud.coveo.com",
			"eu": "https://platformdev-eu.cloud.coveo.com",
			"au": "https://platformdev-au.cloud.coveo.com",
			"ca": "https://platformdev-ca.cloud.coveo.com",
		},
		"hipaa": {
			"us": "https://platformhipaa.cloud.coveo.com",
			"eu": "https://platformhipaa.cloud.coveo.com",
			"au": "https://platformhipaa.cloud.coveo.com",
			"ca": "https://platformhipaa.cloud.coveo.com",
		},
	}
	if len(want) != len(Environments) {
		t.Fatalf("test table has %d environments, package lists %d", len(want), len(Environments))
	}
	for _, env := range Environments {
		for _, region := range Regions {
			got, err := PlatformURL(env, region)
			if err != nil {
				t.Errorf("PlatformURL(%q, %q): unexpected error %v", env, region, err)
				continue
			}
			if got != want[env][region] {
				t.Errorf("PlatformURL(%q, %q) = %q, want %q", env, region, got, want[env][region])
			}
		}
	}
}

func TestPlatformURLDefaultsWhenEmpty(t *testing.T) {
	got, err := PlatformURL("", "")
	if err != nil || got != "https://platform.cloud.coveo.com" {
		t.Fatalf("PlatformURL(\"\", \"\") = %q, %v; want the prod us host", got, err)
	}
	if DefaultEnvironment != "prod" || DefaultRegion != "us" {
		t.Fatalf("defaults = %q, %q; want prod, us", DefaultEnvironment, DefaultRegion)
	}
	got, err = PlatformURL("stg", "")
	if err != nil || got != "https://platformstg.cloud.coveo.com" {
		t.Fatalf("PlatformURL(stg, \"\") = %q, %v", got, err)
	}
}

func TestPlatformURLRejectsUnknownValuesNamingTheAcceptedOnes(t *testing.T) {
	tests := []struct {
		name, env, region string
		wantInError       []string
	}{
		{"unknown environment", "qa", "us", []string{`"qa"`, "prod, hipaa, stg, dev"}},
		{"upper-case environment", "PROD", "us", []string{`"PROD"`, "prod, hipaa, stg, dev"}},
		{"unknown region", "prod", "asia", []string{`"asia"`, "us, eu, au, ca"}},
		{"unknown region with hipaa", "hipaa", "mars", []string{`"mars"`, "us, eu, au, ca"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PlatformURL(tt.env, tt.region)
			if err == nil {
				t.Fatalf("PlatformURL(%q, %q) = %q, want an error", tt.env, tt.region, got)
			}
			for _, s := range tt.wantInError {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestValidateEndpoint(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    string // "" when an error is expected
		wantErr string
	}{
		{"https accepted", "https://platform.cloud.coveo.com", "https://platform.cloud.coveo.com", ""},
		{"trailing slash removed", "https://platform.cloud.coveo.com/", "https://platform.cloud.coveo.com", ""},
		{"several trailing slashes removed", "https://platform.cloud.coveo.com///", "https://platform.cloud.coveo.com", ""},
		{"scheme and host lowered", "HTTPS://Platform.Cloud.Coveo.com", "https://platform.cloud.coveo.com", ""},
		{"surrounding spaces trimmed", "  https://platform-eu.cloud.coveo.com \n", "https://platform-eu.cloud.coveo.com", ""},
		{"path kept", "https://gateway.example.com/coveo/", "https://gateway.example.com/coveo", ""},
		{"port kept", "https://example.com:8443", "https://example.com:8443", ""},
		{"http localhost accepted", "http://localhost:8080", "http://localhost:8080", ""},
		{"http LOCALHOST accepted", "http://LOCALHOST", "http://localhost", ""},
		{"http 127.0.0.1 accepted", "http://127.0.0.1:1234/", "http://127.0.0.1:1234", ""},
		{"http 127.0.0.5 accepted", "http://127.0.0.5", "http://127.0.0.5", ""},
		{"http [::1] accepted", "http://[::1]:9000", "http://[::1]:9000", ""},
		{"http remote host refused", "http://example.com", "", "use https"},
		{"http private address refused", "http://10.0.0.1", "", "use https"},
		{"http localhost lookalike refused", "http://localhost.example.com", "", "use https"},
		{"empty", "", "", "empty"},
		{"blank", "   ", "", "empty"},
		{"no scheme", "platform.cloud.coveo.com", "", "no scheme"},
		{"host and port without scheme", "localhost:8080", "", "no scheme"},
		{"no host", "https://", "", "no host"},
		{"no host with path", "https:///rest", "", "no host"},
		{"ftp scheme", "ftp://platform.cloud.coveo.com", "", `"ftp" is not supported`},
		{"query", "https://platform.cloud.coveo.com/?accessToken=secret", "", "query"},
		{"empty query", "https://platform.cloud.coveo.com/?", "", "query"},
		{"fragment", "https://platform.cloud.coveo.com/#top", "", "fragment"},
		{"empty fragment", "https://platform.cloud.coveo.com/#", "", "fragment"},
		{"userinfo", "https://user:hunter2@platform.cloud.coveo.com", "", "user name or password"},
		{"invalid URL", "https://platform.cloud.coveo.com:port", "", "not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateEndpoint(tt.raw)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ValidateEndpoint(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ValidateEndpoint(%q) = %q, want an error containing %q", tt.raw, got, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ValidateEndpoint(%q) error %q does not contain %q", tt.raw, err, tt.wantErr)
			}
			for _, secret := range []string{"hunter2", "secret"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("ValidateEndpoint(%q) error %q echoes %q", tt.raw, err, secret)
				}
			}
		})
	}
}
