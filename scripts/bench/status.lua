-- GET /api/status: the HTTP floor (axum, one blocking task, one SQLite or
-- PostgreSQL read of the rules' version).
dofile("scripts/bench/report.lua")
