"""Filing without an account: a guest proves an address with a mailed code, then drafts and
files like an account holder (see README, "Sans compte")."""
