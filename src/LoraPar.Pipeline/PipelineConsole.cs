using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Progress;
using Spectre.Console;

namespace LoraPar.Pipeline;

/// <summary>Where the pipeline talks to its user: a text writer, and whether it is an interactive terminal (bars) or not (lines).</summary>
/// <param name="Out">Normal output.</param>
/// <param name="Interactive">True for a terminal that can draw live progress bars.</param>
public sealed record PipelineConsole(TextWriter Out, bool Interactive)
{
    /// <summary>
    /// Runs <paramref name="body"/> with the progress display the manifest asks for: live bars on a terminal, plain lines with
    /// ETA otherwise (also for "bars" when the output is not a terminal: redrawn bars would be lost or garble a log), nothing
    /// for "none". <paramref name="announce"/> receives the writer for stage lines.
    /// </summary>
    internal T WithProgress<T>(ProgressDisplay display, Func<IProgressReporter, Action<string>, T> body)
    {
        var bars = display is (ProgressDisplay.Bars or ProgressDisplay.Auto) && Interactive;
        if (display == ProgressDisplay.None) return body(NullProgressReporter.Instance, Out.WriteLine);
        if (!bars) return body(new LineProgressReporter(Out.WriteLine), Out.WriteLine);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Out), Interactive = InteractionSupport.Yes });
        var reporter = new SpectreProgressReporter(console);
        return reporter.Run(() => body(reporter, line => console.WriteLine(line)));
    }
}
