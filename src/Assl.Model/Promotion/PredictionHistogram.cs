namespace Assl.Model.Promotion;

/// <summary>How a model's predictions spread over the classes: the collapse guard's evidence.</summary>
/// <param name="Counts">Predictions per class index.</param>
public sealed record PredictionHistogram(int[] Counts)
{
    public int Total => Counts.Sum();

    public static PredictionHistogram Of(IEnumerable<int> predictions, int classes)
    {
        var counts = new int[classes];
        foreach (var p in predictions) counts[p]++;
        return new PredictionHistogram(counts);
    }

    /// <summary>Share of the most predicted class (0 when there are no predictions).</summary>
    public double MaxShare => Total == 0 ? 0 : (double)Counts.Max() / Total;

    /// <summary>Entropy of the class shares divided by log(classes): 1 for a uniform spread, 0 when every prediction is one class.</summary>
    public double NormalisedEntropy
    {
        get
        {
            if (Total == 0 || Counts.Length < 2) return 0;
            double h = 0;
            foreach (var c in Counts)
            {
                if (c == 0) continue;
                double p = (double)c / Total;
                h -= p * Math.Log(p);
            }
            return h / Math.Log(Counts.Length);
        }
    }
}
