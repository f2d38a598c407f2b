using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using NlbTools.Base;

namespace NlbTools.Engine
{
    /// <summary>
    /// Results of work that runs concurrently, handed back in input order. Each item's task yields what to do
    /// on the pipeline thread (write its output or its error); the tasks must not fault.
    /// </summary>
    internal sealed class OrderedResults
    {
        private readonly Queue<Task<Action?>> _pending = new Queue<Task<Action?>>();
        private readonly NlbCancellableCmdlet _cmdlet;

        public OrderedResults(NlbCancellableCmdlet cmdlet, int window)
        {
            _cmdlet = cmdlet;
            Window = Math.Max(1, window);
        }

        /// <summary>How many results may wait for their turn before input is held back.</summary>
        public int Window { get; }

        public int Count => _pending.Count;

        public void Add(Task<Action?> item)
        {
            _pending.Enqueue(item);
            while (_pending.Count > Window) WriteHead();
            WriteReady();
        }

        public void Add(Action? done) => Add(Task.FromResult(done));

        /// <summary>Writes every result whose turn has come, without waiting.</summary>
        public void WriteReady()
        {
            _cmdlet.RunPosted();
            while (_pending.Count > 0 && _pending.Peek().IsCompleted) Run(_pending.Dequeue());
        }

        /// <summary>Waits for and writes everything left (EndProcessing).</summary>
        public void WriteAll()
        {
            while (_pending.Count > 0) WriteHead();
        }

        private void WriteHead()
        {
            var head = _pending.Peek();
            _cmdlet.Await((Task)head);
            Run(_pending.Dequeue());
        }

        private static void Run(Task<Action?> item)
        {
            if (item.Status == TaskStatus.RanToCompletion) item.Result?.Invoke();
        }
    }
}
