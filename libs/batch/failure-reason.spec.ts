import { failureReason, MAX_REASON_LENGTH } from './failure-reason';

describe('failureReason', () => {
  it('gives the failures of different instances for the same cause one reason', () => {
    const first = failureReason(
      "ENGINE-23004 Cannot migrate process instance '0b6f1c1e-1d0a-4f57-9a63-2b1a1f0d3c11':\n\tCannot migrate activity instance 'review:8e3ef940-cd65-40af-ad3d-4e9ae741ceb4':\n\t\tThere is no migration instruction for this instance's activity\n",
    );
    const second = failureReason(
      "ENGINE-23004 Cannot migrate process instance '5a1d2e3f-0000-4a4a-8b8b-123456789abc':\n\tCannot migrate activity instance 'review:11111111-2222-4333-8444-555555555555':\n\t\tThere is no migration instruction for this instance's activity\n",
    );

    expect(first).toBe(second);
    expect(first).toBe(
      "ENGINE-23004 Cannot migrate process instance '…': Cannot migrate activity instance '…': There is no migration instruction for this instance's activity",
    );
  });

  it('keeps causes apart and bounds the length', () => {
    expect(failureReason('Target activity is not asyncBefore')).not.toBe(
      failureReason('Target activity is not asyncAfter'),
    );
    expect(failureReason('x'.repeat(5000))).toHaveLength(MAX_REASON_LENGTH);
  });
});
