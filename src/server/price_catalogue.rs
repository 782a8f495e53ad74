//! The metrics and price versions the dashboard's month so far prices usage with, kept in
//! memory so the page customers open most does not read them on every view (issue 15).
//!
//! Why a copy cannot go wrong: the metrics are migration data, never written at run time, and
//! price versions are only ever added, each for a month after the one it is added in
//! (`domain::billing::prices::check_new_version`). So every version that month M's prices can
//! ever come from exists once M has begun, and a copy read during M prices M exactly. The copy
//! is kept for the month it was read in only, and for [`KEPT_FOR`] at most, so an instance
//! whose clock disagrees with the one that added a version catches up within minutes; a
//! version added through this instance drops the copy at once. Invoices and the price page
//! read the tables, not this copy.
use super::db::{Db, usage::MetricRow};
use crate::domain::billing::{BillingMonth, prices::PriceTable};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KEPT_FOR: Duration = Duration::from_secs(300);

/// What the month so far needs besides the customer's own rows.
#[derive(Debug)]
pub struct Catalogue {
    pub metrics: Vec<MetricRow>,
    pub versions: Vec<PriceTable>,
}

#[derive(Debug, Default)]
pub struct CatalogueCache {
    kept: Mutex<Option<Kept>>,
}

#[derive(Debug)]
struct Kept {
    month: BillingMonth,
    read_at: Instant,
    catalogue: Arc<Catalogue>,
}

impl CatalogueCache {
    /// The catalogue for pricing `month`: the kept copy when it was read in that month and
    /// is fresh, else read now (and kept).
    pub async fn for_month(
        &self,
        db: &Db,
        month: BillingMonth,
    ) -> Result<Arc<Catalogue>, super::billing::BillingError> {
        if let Some(c) = self.fresh(month) {
            return Ok(c);
        }
        let metrics = super::db::usage::metrics(db).await?;
        let versions = super::prices::versions(db)
            .await?
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        let catalogue = Arc::new(Catalogue { metrics, versions });
        if let Ok(mut kept) = self.kept.lock() {
            *kept = Some(Kept {
                month,
                read_at: Instant::now(),
                catalogue: catalogue.clone(),
            });
        }
        Ok(catalogue)
    }

    /// Drops the copy: a price version was just added through this instance.
    pub fn forget(&self) {
        if let Ok(mut kept) = self.kept.lock() {
            *kept = None;
        }
    }

    fn fresh(&self, month: BillingMonth) -> Option<Arc<Catalogue>> {
        let kept = self.kept.lock().ok()?;
        kept.as_ref()
            .filter(|k| k.month == month && k.read_at.elapsed() < KEPT_FOR)
            .map(|k| k.catalogue.clone())
    }
}
