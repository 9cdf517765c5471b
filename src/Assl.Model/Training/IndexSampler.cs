namespace Assl.Model.Training;

/// <summary>Endless seeded shuffles of 0..count-1, handed out a batch at a time.</summary>
public sealed class IndexSampler(int count, Random rng)
{
    private int[] _order = [];
    private int _next;

    public long[] Next(int batch)
    {
        var result = new long[batch];
        for (int i = 0; i < batch; i++)
        {
            if (_next >= _order.Length)
            {
                _order = Enumerable.Range(0, count).ToArray();
                rng.Shuffle(_order);
                _next = 0;
            }
            result[i] = _order[_next++];
        }
        return result;
    }
}
