"""The VaultPAM Python quickstart's calls, as written, with urllib instead of requests.

Usage: VAULTPAM_BASE_URL=http://127.0.0.1:8787 python3 vaultpam_quickstart.py <email> <password>
Prints the safes and the rate-limit header; exits 1 with the status on an API error.
"""
import json
import os
import sys
import urllib.error
import urllib.request

BASE_URL = os.environ.get("VAULTPAM_BASE_URL", "https://api.vaultpam.com")


def call(method, url, headers=None, json_body=None):
    data = None
    headers = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req) as resp:  # raises HTTPError on 4xx/5xx, like raise_for_status()
        return json.loads(resp.read()), resp.headers


def get_session(base_url, email, password):
    auth_data, _ = call("POST", f"{base_url}/api/v1/auth/login", json_body={"email": email, "password": password})
    token = auth_data["access_token"]
    print(f"Authenticated. Token expires in {auth_data['expires_in']} seconds.")
    org_data, _ = call("GET", f"{base_url}/api/v1/org/memberships", headers={"Authorization": f"Bearer {token}"})
    org_id = org_data["active_org_id"]
    print(f"Active org: {org_id}")
    return token, org_id


def list_safes(base_url, token, org_id):
    safes, headers = call(
        "GET",
        f"{base_url}/api/v1/safes",
        headers={"Authorization": f"Bearer {token}", "X-Active-Org-Id": org_id},
    )
    print(f"Rate limit remaining: {headers.get('x-ratelimit-remaining')}")
    return safes


if __name__ == "__main__":
    try:
        token, org_id = get_session(BASE_URL, sys.argv[1], sys.argv[2])
        safes = list_safes(BASE_URL, token, org_id)
        print(f"Safes ({len(safes)}):")
        for s in safes:
            print(f" {s.get('name', s.get('id'))}")
    except urllib.error.HTTPError as exc:
        print(f"API error {exc.code}: {exc.read().decode()}", file=sys.stderr)
        sys.exit(1)
