using System.Diagnostics;

namespace LoraPar.Training.Monitoring;

/// <summary>Accumulates the steps between two logs and turns them into one <see cref="StepLog"/> (loss averaged, tokens/s over the window).</summary>
public sealed class LogWindow
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private double lossSum;
    private long tokens;
    private int steps;

    /// <summary>Adds one optimizer step's mean loss and the non-padding tokens it processed.</summary>
    public void Add(double loss, long stepTokens)
    {
        lossSum += loss;
        tokens += stepTokens;
        steps++;
    }

    /// <summary>Steps added since the last <see cref="Flush"/>.</summary>
    public int Steps => steps;

    /// <summary>The log of the window, which then starts afresh.</summary>
    public StepLog Flush(string stage, int step, int totalSteps, int epoch, double learningRate, double gradNorm,
        IReadOnlyDictionary<string, double>? extra = null)
    {
        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        var log = new StepLog(stage, step, totalSteps, epoch, steps == 0 ? double.NaN : lossSum / steps, learningRate, gradNorm,
            tokens / seconds, tokens, extra ?? new Dictionary<string, double>());
        lossSum = 0;
        tokens = 0;
        steps = 0;
        clock.Restart();
        return log;
    }
}
