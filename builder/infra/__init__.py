"""Small infrastructure every stage uses: `paths` (where shared files live), `parallel` (work on
every core), `packaging` (reproducible zip and tar.gz writers)."""
