/**
 * jest runner for the test files that share the slot's stack (see jest.config.js): jest-runner's own runner with
 * `isSerial`, so @jest/core runs these files one at a time, in band, whatever --maxWorkers says. @jest/core runs
 * each runner's files only after the previous runner's have all finished, so they never overlap with the files of
 * the parallel projects either.
 */
const TestRunner = require('jest-runner').default;

class RunnerSerial extends TestRunner {
  isSerial = true;
}

module.exports = RunnerSerial;
