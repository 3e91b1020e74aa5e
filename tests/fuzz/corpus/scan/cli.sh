# Verifies: FR-APP-002
test_cli_twice() {
  true
}
