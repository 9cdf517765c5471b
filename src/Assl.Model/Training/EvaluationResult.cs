namespace Assl.Model.Training;

/// <summary>Predictions on a labelled set: truth, argmax, softmax rows (N × classes, flat) and top-1.</summary>
public sealed record EvaluationResult(int[] Truth, int[] Predicted, float[] Probabilities, double Top1);
