using Assl.Model.Networks;
using Assl.Model.Training;
using static TorchSharp.torch;

namespace Assl.Model.Promotion;

/// <summary>Runs candidate and serving model over the validation set and recent windows, for <see cref="PromotionPolicy"/>.</summary>
public static class CandidateEvaluator
{
    /// <param name="validation">(N, T, C) labelled validation samples.</param>
    /// <param name="validationLabels">(N) class indices.</param>
    /// <param name="recent">(M, T, C) recently served windows, possibly M = 0.</param>
    public static CandidateEvaluation Evaluate(AsslNetwork candidate, AsslNetwork serving, Tensor validation, Tensor validationLabels, Tensor recent)
    {
        int classes = candidate.Config.Classes;
        var candidateValidation = AsslTrainer.Evaluate(candidate, validation, validationLabels);
        var servingValidation = AsslTrainer.Evaluate(serving, validation, validationLabels);
        var candidateRecent = Predict(candidate, recent);
        var servingRecent = Predict(serving, recent);
        int agree = candidateRecent.Zip(servingRecent).Count(p => p.First == p.Second);
        int candidateOnly = 0, servingOnly = 0;
        for (int i = 0; i < candidateValidation.Truth.Length; i++)
        {
            bool c = candidateValidation.Predicted[i] == candidateValidation.Truth[i], s = servingValidation.Predicted[i] == servingValidation.Truth[i];
            if (c && !s) candidateOnly++;
            if (s && !c) servingOnly++;
        }
        return new CandidateEvaluation(
            candidateValidation.Top1,
            servingValidation.Top1,
            PredictionHistogram.Of(candidateValidation.Predicted, classes).NormalisedEntropy,
            PredictionHistogram.Of(candidateValidation.Truth, classes).NormalisedEntropy,
            candidateRecent.Length,
            candidateRecent.Length == 0 ? 1 : (double)agree / candidateRecent.Length,
            PredictionHistogram.Of(candidateRecent, classes).MaxShare,
            PredictionHistogram.Of(servingRecent, classes).MaxShare,
            candidateValidation.Truth.Length, candidateOnly, servingOnly);
    }

    /// <summary>Top class of each sample, in eval mode, without gradient.</summary>
    public static int[] Predict(AsslNetwork network, Tensor samples, int batch = 256)
    {
        var predicted = new List<int>();
        EvalChunks.Run(network, samples, chunk => predicted.AddRange(network.forward(chunk).argmax(1).cpu().data<long>().ToArray().Select(p => (int)p)), batch);
        return predicted.ToArray();
    }
}
