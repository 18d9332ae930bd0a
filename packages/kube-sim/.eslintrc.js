module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  testRules: {
    // These helpers poll for a condition and fail the test when it is not met in time: they assert.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'waitFor', 'eventually', 'until'] },
    ],
  },
});
