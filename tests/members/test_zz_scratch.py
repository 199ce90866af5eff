def test_scratch(client, db, user, bearer):
    for url, kw in [("/api/v1/me", {}), ("/api/v1/me", {"headers": bearer}), ("/api/v1/me", {"headers": {"Authorization": "Bearer kein-token"}}),
                    ("/api/v1/gibtesnicht", {"headers": bearer}), ("/api/v1/members?page_size=1000", {"headers": bearer}), ("/api/v1/members?page=0", {"headers": bearer}),
                    ("/api/v1/members?page=abc", {"headers": bearer}), ("/api/v1/members", {"headers": bearer}), ("/api/v1/organisations", {"headers": bearer}),
                    ("/gibtesnicht/", {}), ("/mitglieder/", {}), ("/healthz", {}), ("/konto/organisation-vorschlag/?email=a@x.stadt-musterhausen.de", {})]:
        r = client.get(url, **kw); print(url, r.status_code, r.get("Content-Type"), r.get("Location"), r.content[:400])
    r = client.post("/api/v1/me", data="{kaputt", content_type="application/json", headers=bearer); print("POST", r.status_code, r.content[:300])
    print(client.get("/").content.decode()[:300])
    assert 0
