import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Claim suites run hundreds of seeded instances; no test is timed, this only guards against hangs.
    testTimeout: 120_000,
  },
});
