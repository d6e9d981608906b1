using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MtkFlash.Iscsi;
using MtkFlash.Core.Scsi;
using MtkFlash.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MtkFlash.Tests.Iscsi
{
    [CollectionDefinition("iscsi-attacks", DisableParallelization = true)]
    public sealed class IscsiAttackCollection { }

    [Collection("iscsi-attacks")]
    public sealed class IscsiAttackTests
    {
        const string Iqn = "iqn.2024-01.org.mtkflash:attack";
        readonly ITestOutputHelper _output;
        readonly List<string> _log = new List<string>();

        public IscsiAttackTests(ITestOutputHelper output) { _output = output; }

        string[] LogLines() { lock (_log) return _log.ToArray(); }

        IscsiTarget Target(Action<IscsiTargetOptions> configure = null)
        {
            var options = new IscsiTargetOptions
            {
                Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
                TargetName = Iqn,
                Log = line => { lock (_log) _log.Add(line); },
            };
            configure?.Invoke(options);
            var target = new IscsiTarget(ScriptedTransport.Answering(r => ScsiResponse.Good()), options);
            target.Start();
            return target;
        }

        static long Rss()
        {
            using (var p = Process.GetCurrentProcess()) return p.WorkingSet64;
        }

        static long SettledRss()
        {
            for (var i = 0; i < 3; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
            return Rss();
        }

        /// <summary>Time until a well-behaved initiator has logged in and got GOOD for TEST UNIT READY; null when it never did.</summary>
        static TimeSpan? TimeToServe(IscsiTarget target, TimeSpan budget)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < budget)
            {
                try
                {
                    using (var i = new TestInitiator(target))
                    {
                        i.Stream.ReadTimeout = 2000;
                        if (TestInitiator.LoginStatus(i.Login()) == 0 && i.Read(Cdb.TestUnitReady(), 0).Status == ScsiStatus.Good)
                            return watch.Elapsed;
                    }
                }
                catch (IOException) { }
                catch (SocketException) { }
                catch (InvalidDataException) { }
                Thread.Sleep(50);
            }
            return null;
        }

        /// <summary>Runs each attacker on its own thread (the thread pool would start them one by one); returns the threads.</summary>
        static Thread[] Attack(int count, Action<int> attacker)
        {
            var threads = Enumerable.Range(0, count).Select(n => new Thread(() =>
            {
                try { attacker(n); }
                catch (IOException) { }
                catch (SocketException) { }
                catch (InvalidDataException) { }
                catch (ObjectDisposedException) { }
            }) { IsBackground = true, Name = "attacker " + n }).ToArray();
            foreach (var t in threads) t.Start();
            return threads;
        }

        static void JoinAll(Thread[] threads)
        {
            foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(15)), t.Name + " did not stop");
        }

        static long ManagedBytes() => GC.GetTotalMemory(false);

        static long CommittedBytes() => GC.GetGCMemoryInfo().TotalCommittedBytes;

        static string Show(TimeSpan? t) => t.HasValue ? t.Value.TotalMilliseconds.ToString("0") + " ms" : "never";

        [Fact]
        public void Announced_writes_that_never_send_data_do_not_allocate_memory()
        {
            const int clients = 3, commands = 48, announced = 16 * 1024 * 1024;
            using (var target = Target(o => o.MaxTransferLength = announced))
            {
                var before = SettledRss();
                var managedBefore = GC.GetTotalMemory(true);
                var committedBefore = CommittedBytes();
                var attackers = new List<TestInitiator>();
                try
                {
                    for (var c = 0; c < clients; c++)
                    {
                        var a = new TestInitiator(target);
                        attackers.Add(a);
                        Assert.Equal(0, TestInitiator.LoginStatus(a.Login()));
                        // Every command announces a full write and ignores the advertised command window; no data follows.
                        for (var n = 0; n < commands; n++)
                        {
                            var cmd = a.CommandPdu(Cdb.WriteBuffer(6, 0, 0, 0), false, true, announced);
                            cmd.Data = new byte[4096];
                            a.Send(cmd);
                        }
                    }
                    var peak = 0L;
                    var managedPeak = 0L;
                    var committedPeak = 0L;
                    var watch = Stopwatch.StartNew();
                    while (watch.Elapsed < TimeSpan.FromSeconds(2)) { peak = Math.Max(peak, Rss()); managedPeak = Math.Max(managedPeak, ManagedBytes()); committedPeak = Math.Max(committedPeak, CommittedBytes()); Thread.Sleep(50); }
                    var latency = TimeToServe(target, TimeSpan.FromSeconds(5));
                    peak = Math.Max(peak, Rss());
                    foreach (var a in attackers) a.Dispose();
                    attackers.Clear();
                    Thread.Sleep(1000);
                    var after = SettledRss();
                    _output.WriteLine("memory attack ({0} clients x {1} WRITE of {2} MiB announced): RSS before {3} MiB, peak {4} MiB, after {5} MiB; managed heap before {6} MiB, peak {7} MiB; GC committed before {8} MiB, peak {9} MiB; login under attack {10}",
                        clients, commands, announced >> 20, before >> 20, peak >> 20, after >> 20, managedBefore >> 20, managedPeak >> 20, committedBefore >> 20, committedPeak >> 20, Show(latency));
                    Assert.True(managedPeak - managedBefore < 64L << 20, "the managed heap grew by " + ((managedPeak - managedBefore) >> 20) + " MiB");
                    // The target's own account: only the immediate data of the commands inside the window was kept.
                    _output.WriteLine("target buffers: peak {0} KiB, now {1} bytes", target.PeakBufferedBytes >> 10, target.BufferedBytes);
                    Assert.InRange(target.PeakBufferedBytes, 1, clients * target.Options.CommandWindow * 4096L);
                    Assert.Equal(0, target.BufferedBytes);
                    Assert.Contains(LogLines(), l => l.Contains("outside the window"));
                    Assert.True(peak - before < 256L << 20, "RSS grew by " + ((peak - before) >> 20) + " MiB");
                    Assert.True(after - before < 64L << 20, "RSS after the attack is " + ((after - before) >> 20) + " MiB above the start");
                    Assert.NotNull(latency);
                }
                finally { foreach (var a in attackers) a.Dispose(); }
            }
        }

        [Fact]
        public void Slow_loris_connections_do_not_lock_out_a_well_behaved_initiator()
        {
            using (var target = Target(o => o.PduTimeout = TimeSpan.FromSeconds(2)))
            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8)))
            {
                var login = new IscsiPdu(IscsiOpcode.LoginRequest, 0x80 | (1 << 2) | 3) { Immediate = true };
                login.Header[8] = 0x80;
                login.Data = IscsiText.Format(new[]
                {
                    new KeyValuePair<string, string>("InitiatorName", "iqn.2024-01.test:slow"), new KeyValuePair<string, string>("TargetName", Iqn),
                });
                var bytes = new MemoryStream();
                login.WriteTo(bytes);
                var pdu = bytes.ToArray();
                var connections = 0;
                // Twelve connections, each sending a valid login PDU one byte every 400 ms (below the old per-read timeout),
                // reconnecting when the target drops them.
                var attackers = Attack(12, _ =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        try
                        {
                            using (var client = new TcpClient())
                            {
                                client.Connect(target.LocalEndpoint);
                                Interlocked.Increment(ref connections);
                                var s = client.GetStream();
                                foreach (var b in pdu)
                                {
                                    s.WriteByte(b);
                                    if (stop.Token.WaitHandle.WaitOne(400)) return;
                                }
                            }
                        }
                        catch (IOException) { }
                        catch (SocketException) { }
                        stop.Token.WaitHandle.WaitOne(100);
                    }
                });
                Thread.Sleep(1500);
                var latency = TimeToServe(target, TimeSpan.FromSeconds(5));
                stop.Cancel();
                JoinAll(attackers);
                _output.WriteLine("slow-loris attack (12 connections, 1 byte / 400 ms, {0} connects): login took {1}; {2} pushed out, {3} refused",
                    connections, Show(latency), target.ConnectionsEvicted, target.ConnectionsRefused);
                Assert.True(target.ConnectionsEvicted > 0);
                Assert.Contains(LogLines(), l => l.Contains("pushed out") && l.Contains("still logging in"));
                Assert.NotNull(latency);
                Assert.True(latency < TimeSpan.FromSeconds(3), "login took " + Show(latency));
            }
        }

        [Fact]
        public void Initiators_that_never_read_do_not_lock_out_a_well_behaved_initiator()
        {
            using (var target = Target())
            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8)))
            {
                var sent = 0L;
                using (var flooded = new CountdownEvent(10))
                {
                    var attackers = Attack(10, n =>
                    {
                        try
                        {
                            using (var a = new TestInitiator(target))
                            {
                                if (TestInitiator.LoginStatus(a.Login()) != 0) return;
                                a.Stream.WriteTimeout = 300;
                                try
                                {
                                    // NOP-Outs asking for an echo of 60,000 bytes each; the NOP-Ins are never read.
                                    for (var k = 0; k < 400 && !stop.IsCancellationRequested; k++)
                                    {
                                        a.Send(a.Nop((uint)(k + 1), new byte[60000]));
                                        Interlocked.Add(ref sent, 60000);
                                    }
                                }
                                catch (IOException) { /* the target stopped reading: that is the point */ }
                                flooded.Signal();
                                stop.Token.WaitHandle.WaitOne();
                            }
                        }
                        finally { if (flooded.CurrentCount > 0 && !flooded.IsSet) try { flooded.Signal(); } catch (InvalidOperationException) { } }
                    });
                    flooded.Wait(TimeSpan.FromSeconds(6));
                    var latency = TimeToServe(target, TimeSpan.FromSeconds(5));
                    stop.Cancel();
                    JoinAll(attackers);
                    _output.WriteLine("non-reading attack (10 connections, {0} MB of NOP-Out sent): login took {1}; {2} pushed out, {3} refused",
                        sent / 1000000, Show(latency), target.ConnectionsEvicted, target.ConnectionsRefused);
                    Assert.Contains(LogLines(), l => l.Contains("not taking what the target sends") || l.Contains("send timeout"));
                    Assert.NotNull(latency);
                    Assert.True(latency < TimeSpan.FromSeconds(3), "login took " + Show(latency));
                }
            }
        }
    }
}
