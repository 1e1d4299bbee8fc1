#include <cstdio>
int main() { std::puts("quantscope-cli"); return 0; }
