import { describe, expect, it } from 'vitest';
import { checkInClusterCheckpoint, checkLeaderElection } from '../../src/ha/config.js';

describe('the leaderElection and in-cluster checkpoint sections', () => {
  it('accepts client-go-like settings in seconds', () => {
    expect(
      checkLeaderElection({
        namespace: 'keventer',
        leaseName: 'keventer',
        leaseDurationSeconds: 15,
        renewDeadlineSeconds: 10,
        retryPeriodSeconds: 2,
      }),
    ).toEqual([]);
    expect(checkLeaderElection({})).toEqual([]);
    expect(checkInClusterCheckpoint({ type: 'in-cluster', name: 'cp' })).toEqual([]);
  });

  it('reports every problem at once, each at its key, naming the value', () => {
    expect(
      checkLeaderElection({
        leaseName: 'Bad_Name',
        leaseDurationSeconds: 10,
        renewDeadlineSeconds: 10,
        retryPeriodSeconds: 9,
      }),
    ).toEqual([
      {
        path: ['leaseName'],
        message:
          "'Bad_Name' is not a Kubernetes object name (lowercase letters, digits, '-' and '.')",
      },
      { path: ['renewDeadlineSeconds'], message: '10 must be below leaseDurationSeconds (10)' },
      {
        path: ['retryPeriodSeconds'],
        message: '9 (x1.2 jitter) must be below renewDeadlineSeconds (10)',
      },
    ]);
    expect(checkLeaderElection({ leaseDuration: '15s', retryPeriodSeconds: -1 })).toEqual([
      {
        path: ['leaseDuration'],
        message: expect.stringMatching(
          /^unknown key 'leaseDuration' \(known: namespace, leaseName/,
        ),
      },
      { path: ['retryPeriodSeconds'], message: '-1 is not a positive number' },
    ]);
    expect(checkLeaderElection({ leaseDurationSeconds: 12.5 })).toEqual([
      {
        path: ['leaseDurationSeconds'],
        message: '12.5 must be whole seconds (the Lease stores whole seconds)',
      },
    ]);
    expect(checkLeaderElection('yes')).toEqual([{ path: [], message: 'must be a mapping' }]);
    expect(checkInClusterCheckpoint({ type: 'in-cluster', name: 'No' })).toEqual([
      {
        path: ['name'],
        message: "'No' is not a Kubernetes object name (lowercase letters, digits, '-' and '.')",
      },
    ]);
  });
});
