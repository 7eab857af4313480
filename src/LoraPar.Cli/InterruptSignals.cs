using System.Runtime.InteropServices;

namespace LoraPar.Cli;

/// <summary>
/// The process's SIGINT (Ctrl-C) and SIGTERM handling: the first signal cancels <see cref="Token"/> and keeps the process
/// alive, so the running step finishes or is abandoned, staging folders are removed and the run log records it; a second
/// signal ends the process at once (the default action).
/// </summary>
public sealed class InterruptSignals : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration[] registrations;

    /// <summary>Registers the handlers; dispose to remove them.</summary>
    public InterruptSignals()
    {
        registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled at the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => source.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (source.IsCancellationRequested) return;   // the second signal: the default action ends the process
        context.Cancel = true;
        Console.Error.WriteLine($"lorapar: {context.Signal} received; stopping after the current step (send it again to stop at once)");
        source.Cancel();
    }
}
