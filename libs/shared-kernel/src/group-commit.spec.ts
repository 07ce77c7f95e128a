import { GroupCommit } from './group-commit';

const fulfilled = <T>(value: T): PromiseSettledResult<T> => ({ status: 'fulfilled', value });

describe('GroupCommit', () => {
  it('given requests submitted in the same turn, when they commit, then one batch holds them all, in order', async () => {
    // given
    const batches: number[][] = [];
    const groupCommit = new GroupCommit<number, number>((requests) => {
      batches.push(requests);
      return requests.map((request) => fulfilled(request * 10));
    });

    // when
    const results = await Promise.all([1, 2, 3].map((request) => groupCommit.submit(request)));

    // then
    expect(batches).toEqual([[1, 2, 3]]);
    expect(results).toEqual([10, 20, 30]);
  });

  it('given more requests than the batch size, when they commit, then batches are bounded and keep the order', async () => {
    // given
    const batches: number[][] = [];
    const groupCommit = new GroupCommit<number, number>((requests) => {
      batches.push(requests);
      return requests.map(fulfilled);
    }, { maxBatchSize: 4 });

    // when
    await Promise.all(Array.from({ length: 10 }, (_, i) => groupCommit.submit(i)));

    // then
    expect(batches).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('given a batch whose commit refuses one request, when it commits, then only that request rejects', async () => {
    // given
    const refusal = new Error('refused');
    const groupCommit = new GroupCommit<number, number>((requests) =>
      requests.map((request) => (request === 2 ? { status: 'rejected', reason: refusal } : fulfilled(request))),
    );

    // when
    const outcomes = await Promise.allSettled([1, 2, 3].map((request) => groupCommit.submit(request)));

    // then
    expect(outcomes).toEqual([fulfilled(1), { status: 'rejected', reason: refusal }, fulfilled(3)]);
  });

  it('given a commit that throws, when a batch commits, then every request of it rejects and the next batch still commits', async () => {
    // given
    const failure = new Error('disk full');
    let calls = 0;
    const groupCommit = new GroupCommit<number, number>((requests) => {
      calls += 1;
      if (calls === 1) throw failure;
      return requests.map(fulfilled);
    });

    // when
    const outcomes = await Promise.allSettled([1, 2].map((request) => groupCommit.submit(request)));
    const later = await groupCommit.submit(3);

    // then
    expect(outcomes).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
    expect(later).toBe(3);
  });

  it('given an asynchronous commit in progress, when more requests arrive, then they wait and form the next batch', async () => {
    // given
    const batches: number[][] = [];
    let committing = 0;
    let overlapped = false;
    const groupCommit = new GroupCommit<number, number>(async (requests) => {
      overlapped ||= committing > 0;
      committing += 1;
      batches.push(requests);
      await new Promise((resolve) => setTimeout(resolve, 20));
      committing -= 1;
      return requests.map(fulfilled);
    });
    const first = groupCommit.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 5));

    // when
    const others = [2, 3, 4].map((request) => groupCommit.submit(request));
    await Promise.all([first, ...others]);

    // then
    expect(batches).toEqual([[1], [2, 3, 4]]);
    expect(overlapped).toBe(false);
  });

  it('given requests in flight, when waiting for idle, then it resolves only after all of them settled', async () => {
    // given
    const settled: number[] = [];
    const groupCommit = new GroupCommit<number, number>(async (requests) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return requests.map(fulfilled);
    }, { maxBatchSize: 1 });
    for (const request of [1, 2, 3]) void groupCommit.submit(request).then((result) => settled.push(result));

    // when
    await groupCommit.whenIdle();

    // then
    expect(settled).toEqual([1, 2, 3]);
  });
});
