/* Implements: FR-APP-001, FR-APP-099 */
int add(int a, int b)
{
	return a + b;
}

/* Implements: FR-APP-002 */
int twice(int a)
{
	return add(a, a);
}

/* Implements: FR-APP-003@1, FR-APP-004 */
int negate(int a)
{
	return -a;
}

/* Implements: FR-app-5 */
/* Implements: FR-APP-005 */
int cube(int a)
{
	if (a == 0)
		return 0;
	return a * a * a;
}
