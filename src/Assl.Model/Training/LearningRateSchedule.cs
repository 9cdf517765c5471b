namespace Assl.Model.Training;

public static class LearningRateSchedule
{
    /// <summary>Cosine decay from <paramref name="baseRate"/> to 1 % of it over the run.</summary>
    public static double Cosine(long step, long totalSteps, double baseRate)
    {
        if (totalSteps <= 1) return baseRate;
        double progress = Math.Clamp((double)step / (totalSteps - 1), 0, 1);
        double floor = 0.01 * baseRate;
        return floor + (baseRate - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
