using LoraPar.Cli;

using var signals = new InterruptSignals();
return CliApp.Run(args, Console.Out, Console.Error, signals.Token);
