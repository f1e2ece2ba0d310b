package config

import (
	"strconv"
	"strings"
)

// currencies are the ISO 4217 codes of money a bill can be in: the codes
// in use, without the test code, the precious metals and the bond units.
const currencies = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV " +
	"BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE " +
	"CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD " +
	"HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD " +
	"KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV " +
	"MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB " +
	"RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND " +
	"TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD " +
	"XCG XOF XPF YER ZAR ZMW ZWG"

// checkCurrency says what is wrong with a currency code, or "".
func checkCurrency(code string) string {
	switch {
	case code == "":
		return `no currency; add currency = "USD" (the billing group's ISO 4217 code)`
	case len(code) == 3 && strings.ToUpper(code) != code && knownCurrency(strings.ToUpper(code)):
		return "write the currency in capitals: currency = " + strconv.Quote(strings.ToUpper(code))
	case !knownCurrency(code):
		return strconv.Quote(code) + " is not an ISO 4217 currency code; write three capitals such as USD, EUR or GBP"
	}
	return ""
}

func knownCurrency(code string) bool {
	if len(code) != 3 {
		return false
	}
	i := strings.Index(currencies, code)
	return i >= 0 && i%4 == 0
}
